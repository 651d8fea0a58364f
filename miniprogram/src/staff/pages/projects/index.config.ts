export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '服务项目' });
