export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '选择所在社区' });
