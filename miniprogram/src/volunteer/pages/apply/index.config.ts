export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '成为志愿者' });
