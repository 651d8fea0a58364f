/** The service categories of the project menu (服务清单), in the order residents see them. */
export const SERVICE_CATEGORIES = [
  { code: 'smart_elderly', name: '智慧助老', hint: '教用手机、线上挂号、视频通话' },
  { code: 'after_school', name: '四点半课堂', hint: '放学后看护、作业辅导' },
  { code: 'meals_cleaning', name: '助餐助洁', hint: '送餐、打扫、整理' },
  { code: 'legal_aid', name: '法律援助', hint: '法律咨询、纠纷调解' },
  { code: 'medical_clinic', name: '医疗义诊', hint: '量血压、健康咨询' },
  { code: 'counseling', name: '心理疏导', hint: '谈心、情绪疏导' },
  { code: 'appliance_repair', name: '家电维修', hint: '小家电、水电维修' },
  { code: 'other', name: '其他', hint: '其他需要帮忙的事' },
] as const;

export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number]['code'];
