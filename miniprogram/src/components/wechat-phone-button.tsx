import { Button } from '@tarojs/components';
import { api } from '../services/api';
import { attempt } from '../services/feedback';

/**
 * 用微信手机号: WeChat's getPhoneNumber button; the server exchanges its one-time code
 * for the verified number and keeps it. weapp only: in the browser the number is typed.
 */
export function WechatPhoneButton({ onPhone }: { onPhone: (phone: string) => void }) {
  if (process.env.TARO_ENV !== 'weapp') return null;
  return (
    <Button
      className="btn btn-plain wechat-phone"
      openType="getPhoneNumber"
      onGetPhoneNumber={async (e) => {
        const code = e.detail.code;
        if (!code) return; // declined, or no quota: the person types the number instead
        const saved = await attempt(() => api.phoneFromWechat(code), '已填入微信手机号');
        if (saved) onPhone(saved.phone);
      }}
    >
      用微信绑定的手机号
    </Button>
  );
}
