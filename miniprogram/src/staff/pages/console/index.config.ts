export default definePageConfig({ enablePageMeta: true, navigationBarTitleText: '社区工作台' });
