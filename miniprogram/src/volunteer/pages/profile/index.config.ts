export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '志愿者中心' });
