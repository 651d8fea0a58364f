export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '兑换核销' });
