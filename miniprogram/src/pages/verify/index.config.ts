export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '查验志愿服务证明' });
