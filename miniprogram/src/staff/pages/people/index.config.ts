export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '志愿者积分' });
