export default definePageConfig({
  enablePageMeta: true,
  navigationBarTitleText: '订单管理',
  enablePullDownRefresh: true,
});
