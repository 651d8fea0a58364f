export default definePageConfig({
  enablePageMeta: true,
  navigationBarTitleText: '我的订单',
  enablePullDownRefresh: true,
});
