export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/orders/index',
    'pages/inbox/index',
    'pages/me/index',
    'pages/login/index',
    'pages/home-community/index',
    'pages/menu/index',
    'pages/order-form/index',
    'pages/order-detail/index',
    'pages/privacy/index',
    // 我要求助 and 心愿墙: notifications open these paths.
    'pages/need-form/index',
    'pages/needs/index',
    'pages/need/index',
    'pages/wishes/index',
    'pages/wish/index',
    // Public: the QR code on a 志愿服务证明 opens it, signed in or not.
    'pages/verify/index',
  ],
  // Role-specific pages load only for those who open them, keeping the main package small.
  subPackages: [
    {
      root: 'volunteer',
      pages: [
        'pages/profile/index',
        'pages/offers/index',
        'pages/hall/index',
        'pages/tasks/index',
        'pages/task/index',
        'pages/apply/index',
        'pages/profile-edit/index',
        'pages/records/index',
        'pages/certificates/index',
      ],
    },
    {
      root: 'staff',
      pages: [
        'pages/console/index',
        'pages/projects/index',
        'pages/project-edit/index',
        'pages/orders/index',
        'pages/order/index',
        'pages/proxy-order/index',
        'pages/goods/index',
        'pages/pickup/index',
        'pages/people/index',
        'pages/ledger/index',
        'pages/volunteer-records/index',
        'pages/needs/index',
        'pages/need/index',
        'pages/post-need/index',
      ],
    },
    { root: 'store', pages: ['pages/wallet/index', 'pages/goods/index', 'pages/redemptions/index'] },
  ],
  // WeChat refuses location calls that app.json does not declare (since 2022-07-14); see
  // services/location.ts. The order form lets the resident pick the spot with chooseLocation (no
  // category review); check-in needs getLocation, precise to the 200 m radius (getFuzzyLocation is
  // district-level, and can't be declared beside getLocation). tests/build/weapp.test.ts checks
  // that every location API in the built code is declared here.
  requiredPrivateInfos: ['chooseLocation', 'getLocation'],
  permission: {
    'scope.userLocation': { desc: '志愿者用定位签到时，确认已经到了居民家附近' },
  },
  // The privacy guide flow: WeChat holds privacy APIs until the person agrees in our popup.
  __usePrivacyCheck__: true,
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
        pagePath: 'pages/orders/index',
        text: '我的订单',
        iconPath: 'assets/tab/orders.png',
        selectedIconPath: 'assets/tab/orders-active.png',
      },
      {
        pagePath: 'pages/inbox/index',
        text: '消息',
        iconPath: 'assets/tab/inbox.png',
        selectedIconPath: 'assets/tab/inbox-active.png',
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
