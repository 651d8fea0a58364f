export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '我要求助' });
