export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '积分超市' });
