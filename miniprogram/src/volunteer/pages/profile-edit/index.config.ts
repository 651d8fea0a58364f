export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '编辑志愿者资料' });
