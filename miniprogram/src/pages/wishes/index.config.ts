export default definePageConfig({
  enablePageMeta: true,
  navigationBarTitleText: '心愿墙',
  enablePullDownRefresh: true,
});
