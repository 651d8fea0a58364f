export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '邻里帮' });
