export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '微心愿' });
