export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '派给我的任务' });
