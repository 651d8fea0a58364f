export default definePageConfig({
  enablePageMeta: true,
  navigationBarTitleText: '任务大厅',
  enablePullDownRefresh: true,
});
