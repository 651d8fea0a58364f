export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '编辑服务项目' });
