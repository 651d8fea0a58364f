export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '积分明细' });
