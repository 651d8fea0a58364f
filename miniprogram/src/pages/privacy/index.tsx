import { Text, View } from '@tarojs/components';
import { useLoad } from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { PageFrame } from '../../components/page-frame';
import { PrivacyChoice } from '../../components/privacy-popup';
import { routerParam } from '../../services/feedback';
import { onPrivacyRequest } from '../../services/privacy';
import './index.css';

// Plain words for elders: what we keep, why, for how long, who sees it, how to leave.
const SECTIONS: { title: string; paragraphs: string[] }[] = [
  {
    title: '我们收集什么',
    paragraphs: [
      '您的称呼或姓名、手机号、住址：志愿者上门和联系您要用。',
      '位置：只在您点“记录我现在的位置”或志愿者签到时取一次，用来确认志愿者到了您家，不会一直跟踪。',
      '志愿者的身份证号：只用于按规定登记志愿服务时长（志愿服务记录），不给其他人看。',
      '孩子的信息（四点半课堂）：只有在监护人同意后才会登记，只用于接送和课堂安排。',
      '订单、评价、积分：记录谁在什么时候提供了什么服务。',
    ],
  },
  {
    title: '为什么收集',
    paragraphs: ['为了安排上门服务、确认服务真的做了、计算志愿时长和积分。不用于广告，不卖给任何人。'],
  },
  {
    title: '谁能看到',
    paragraphs: [
      '志愿者只在接单后到服务结束前看到您的完整地址和电话，其他时候看到的是遮住一部分的号码（如 138****1234）和小区名。',
      '社区工作人员为了帮您下单、处理问题可以查看，每次查看完整电话或地址都会被记录下来，可以追查。',
    ],
  },
  {
    title: '保存多久',
    paragraphs: [
      '账号在用的时候一直保存。您注销账号后，姓名、电话、地址、位置马上删除或遮住。',
      '服务记录和积分账目要保证账目平衡、志愿时长可以查证，会以“已注销用户”的名义保留，不再能认出是您。',
    ],
  },
  {
    title: '怎么注销账号',
    paragraphs: [
      '打开“我的”，点最下面的“注销账号”，确认两次就可以。还有没完成的订单或没领取的兑换物品时，要先处理完。',
      '有疑问可以打社区电话，工作人员会帮您。',
    ],
  },
];

/** 隐私政策: what is collected, why, who sees it, how long it is kept, how to delete the account. */
export default function PrivacyPage() {
  const [asking, setAsking] = useState(false);
  useLoad(() => setAsking(routerParam('ask') === '1'));
  useEffect(() => onPrivacyRequest(setAsking), []);

  return (
    <PageFrame className="privacy-page" audience="anyone">
      <View className="title">邻里帮隐私政策</View>
      {SECTIONS.map((section) => (
        <View className="card privacy-section" key={section.title}>
          <View className="subtitle">{section.title}</View>
          {section.paragraphs.map((p) => (
            <Text className="privacy-para" key={p}>
              {p}
            </Text>
          ))}
        </View>
      ))}
      {asking && process.env.TARO_ENV === 'weapp' && (
        <View className="card">
          <PrivacyChoice />
        </View>
      )}
    </PageFrame>
  );
}
