import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { NeedForm } from '../../components/need-form';
import { PageFrame } from '../../components/page-frame';

/** 我要求助: the resident says in their own words what they need; the community reads it and answers. */
export default function NeedFormPage() {
  return (
    <PageFrame className="need-form-page">
      <View className="title">我要求助</View>
      <View className="muted need-form-intro">
        说一说遇到了什么难处，社区工作人员看到后会安排人帮忙，并在“我的求助”里答复您。
      </View>
      <NeedForm onPosted={(need) => Taro.redirectTo({ url: `/pages/need/index?id=${need.id}` })} />
      <View className="muted">有危险或急病，请直接打 110 或 120。</View>
    </PageFrame>
  );
}
