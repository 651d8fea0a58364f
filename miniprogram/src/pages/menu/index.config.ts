export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '服务清单' });
