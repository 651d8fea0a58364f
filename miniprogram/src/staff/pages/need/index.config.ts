export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '居民求助' });
