export default definePageConfig({ navigationBarTitleText: '志愿者积分' });
