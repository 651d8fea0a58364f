export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '志愿服务证明' });
