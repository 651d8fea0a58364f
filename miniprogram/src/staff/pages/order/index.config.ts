export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '订单处理' });
