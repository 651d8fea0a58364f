// Every validation message a person can see is Chinese and says what to fix.
// Schemas give their own message where the wording matters; everything else
// (a wrong type, a number out of range, a body that is not an object) gets one
// from this map, naming the field by its label. Set once for the whole process:
// the API and the mini-program both import @llb/shared.
import { z } from 'zod';

/** The words people know the request fields by. A field missing here is named 此项. */
export const FIELD_LABELS: Record<string, string> = {
  code: '验证码',
  identity: '体验身份',
  communityId: '社区',
  gridId: '网格',
  elderMode: '长辈模式',
  id: '编号',
  version: '版本号',
  title: '项目名称',
  category: '服务类别',
  description: '介绍',
  requiredSkills: '所需专长',
  pointsPerHour: '每小时积分',
  expectedMinutes: '预计时长',
  maxMinutes: '最长时长',
  serviceCommunityIds: '服务社区',
  responseHours: '响应时限',
  minServiceMinutes: '最短服务时长',
  locationNote: '服务地点说明',
  action: '操作',
  projectId: '服务项目',
  residentId: '居民',
  windowStart: '服务开始时间',
  windowEnd: '服务结束时间',
  address: '地址',
  contactPhone: '联系电话',
  notes: '备注',
  latitude: '纬度',
  longitude: '经度',
  reason: '原因',
  volunteerId: '志愿者',
  method: '签到方式',
  rating: '评价',
  tags: '评价标签',
  comment: '评价内容',
  outcome: '处理结果',
  note: '说明',
  status: '状态',
  name: '名称',
  photoUrl: '图片地址',
  donor: '捐赠方',
  pricePoints: '兑换积分',
  monthlyLimit: '每月限兑',
  quantity: '数量',
  amount: '积分',
  q: '搜索内容',
  before: '消息编号',
  results: '订阅结果',
  realName: '真实姓名',
  phone: '手机号',
  idNumber: '身份证号',
  skills: '专长',
  proofUrl: '资质证明照片',
  availability: '可服务时间',
  weekday: '星期几',
  start: '开始时间',
  end: '结束时间',
  serviceRadiusM: '服务范围',
  isPartyMember: '在职党员',
  employer: '工作单位',
  pledge: '志愿者承诺',
  decision: '审核结果',
  suspended: '暂停或恢复',
  skill: '专长',
  certified: '认证或撤销',
  until: '休息到哪天',
  minutes: '分钟数',
  from: '开始日期',
  to: '结束日期',
  step: '确认哪一步',
  body: '求助内容',
  urgent: '是否紧急',
  visibility: '谁能看到',
  photoIds: '照片',
  points: '奖励积分',
  deadline: '完成期限',
  intoNeedId: '合并到的求助',
  reply: '回复',
  photoId: '照片',
  mode: '服务方式',
  weekdays: '上课星期',
  startTime: '上课时间',
  endTime: '下课时间',
  termStart: '学期开始日期',
  termEnd: '学期结束日期',
  skippedDates: '停课日期',
  place: '上课地点',
  seats: '每次名额',
  gradeMin: '最低年级',
  gradeMax: '最高年级',
  tutorSlots: '辅导老师名额',
  childrenPerTutor: '每位老师最多带的孩子数',
  bookingDeadlineHours: '报名截止时间',
  cancelDeadlineHours: '取消截止时间',
  grade: '年级',
  school: '学校',
  allergies: '过敏情况',
  healthNotes: '健康情况',
  pickupContacts: '接送人',
  relation: '与孩子的关系',
  consent: '监护人同意',
  consentVersion: '同意书版本',
  plan: '报名方式',
  occurrenceIds: '上课日期',
  scope: '取消范围',
};

/** The field a path names, in words: `tags.2` is 评价标签的第 3 项; the root is 请求内容. */
export function fieldLabel(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '请求内容';
  let label = '此项';
  let index: number | null = null;
  for (const segment of path) {
    if (typeof segment === 'number') index = segment;
    else {
      label = FIELD_LABELS[String(segment)] ?? '此项';
      index = null;
    }
  }
  return index === null ? label : `${label}的第 ${index + 1} 项`;
}

const TYPE_WORDS: Record<string, string> = {
  number: '须为数字',
  int: '须为整数',
  bigint: '须为整数',
  boolean: '只能选择是或否',
  string: '须为文字',
  array: '须为一组选项',
  object: '格式不正确',
  date: '须为日期时间',
};

type Issue = z.core.$ZodRawIssue;

/** The Chinese message of a zod issue no schema worded itself. */
export function zodMessage(issue: Issue): string {
  const path = (issue.path ?? []) as PropertyKey[];
  const label = fieldLabel(path);
  switch (issue.code) {
    case 'invalid_type': {
      if (path.length === 0) return '请求内容不正确：应为一个 JSON 对象';
      if (issue.input === undefined || issue.input === null) return `请填写${label}`;
      return `${label}${TYPE_WORDS[issue.expected] ?? '格式不正确'}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      const limit = issue.inclusive === false ? max - 1 : max;
      if (issue.origin === 'string') return `${label}太长了，最多 ${limit} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${label}最多选 ${limit} 项`;
      return issue.inclusive === false ? `${label}须小于 ${max}` : `${label}不能大于 ${max}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? `请填写${label}` : `${label}至少 ${min} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return min <= 1 ? `请至少选择一项${label}` : `${label}至少选 ${min} 项`;
      return issue.inclusive === false ? `${label}须大于 ${min}` : `${label}不能小于 ${min}`;
    }
    case 'invalid_format':
      return `${label}格式不正确`;
    case 'not_multiple_of':
      return `${label}的数值不正确`;
    case 'invalid_value':
      return `${label}不正确，请从给出的选项中选择`;
    case 'unrecognized_keys':
      return '请求里有多余的内容，请刷新后再试';
    case 'invalid_key':
    case 'invalid_element':
    case 'invalid_union':
      return `${label}不正确`;
    default:
      return `${label}填写有误，请检查后再试`;
  }
}

z.config({ customError: zodMessage });
