export default definePageConfig({ navigationBarTitleText: '代居民下单' });
