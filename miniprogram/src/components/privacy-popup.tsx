import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import {
  AGREE_BUTTON_ID,
  agreePrivacy,
  declinePrivacy,
  onPrivacyRequest,
  openPrivacyContract,
} from '../services/privacy';
import './privacy-popup.css';

/** The privacy question with its two answers; `inline` shows it in the page instead of over it. */
export function PrivacyChoice() {
  return (
    <View className="privacy-choice">
      <Text className="subtitle">请先看一下我们怎么保护您的信息</Text>
      <Text className="privacy-text">
        为了上门服务，邻里帮会用到您的手机号、地址，签到时会用到位置。我们只把这些用在服务上，不会给无关的人看。
      </Text>
      <View className="privacy-links">
        <Text className="privacy-link" onClick={() => Taro.navigateTo({ url: '/pages/privacy/index' })}>
          《邻里帮隐私政策》
        </Text>
        <Text className="privacy-link" onClick={openPrivacyContract}>
          《用户隐私保护指引》
        </Text>
      </View>
      <Button
        id={AGREE_BUTTON_ID}
        className="btn btn-primary"
        openType="agreePrivacyAuthorization"
        onAgreePrivacyAuthorization={agreePrivacy}
      >
        同意并继续
      </Button>
      <Button className="btn btn-plain" onClick={declinePrivacy}>
        不同意
      </Button>
    </View>
  );
}

/** Shown over a page when WeChat asks for the privacy agreement (weapp only; nothing in h5). */
export function PrivacyPopup() {
  const [asking, setAsking] = useState(false);
  useEffect(() => onPrivacyRequest(setAsking), []);
  if (process.env.TARO_ENV !== 'weapp' || !asking) return null;
  return (
    <View className="privacy-mask">
      <View className="privacy-popup">
        <PrivacyChoice />
      </View>
    </View>
  );
}
