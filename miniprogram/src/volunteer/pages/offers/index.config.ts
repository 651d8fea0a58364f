export default definePageConfig({ navigationBarTitleText: '派给我的任务' });
