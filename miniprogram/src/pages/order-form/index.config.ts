export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '预约服务' });
