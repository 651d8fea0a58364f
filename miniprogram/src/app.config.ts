export default defineAppConfig({
  pages: ['pages/index/index', 'pages/login/index', 'pages/me/index', 'pages/home-community/index'],
  // Role-specific pages load only for those who open them, keeping the main package small.
  subPackages: [
    { root: 'volunteer', pages: ['pages/profile/index'] },
    { root: 'staff', pages: ['pages/console/index'] },
  ],
  window: {
    navigationBarTitleText: '邻里帮',
    navigationBarBackgroundColor: '#b9400c',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f7f5f2',
  },
  tabBar: {
    color: '#444444',
    selectedColor: '#b9400c',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/index/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
    ],
  },
});
