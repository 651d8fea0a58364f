export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '志愿者服务记录' });
