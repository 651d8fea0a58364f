export default definePageConfig({
  enablePageMeta: true,
  navigationBarTitleText: '我的求助',
  enablePullDownRefresh: true,
});
