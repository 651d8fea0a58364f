import Taro from '@tarojs/taro';

interface ConfirmOptions {
  title: string;
  /** What will happen, in one or two plain sentences. */
  content: string;
  /** The verb of the action itself (接这一单, 取消兑换): at most 4 characters in WeChat. */
  yes: string;
  /** The way out, never another 取消 beside a 取消…: 再想想 by default. */
  no?: string;
  /** For what can't be undone: the yes button in red. */
  danger?: boolean;
}

/** Asks before a consequential tap; resolves to whether the person said yes. */
export async function confirm({
  title,
  content,
  yes,
  no = '再想想',
  danger = false,
}: ConfirmOptions): Promise<boolean> {
  try {
    const answer = await Taro.showModal({
      title,
      content,
      confirmText: yes,
      cancelText: no,
      ...(danger ? { confirmColor: '#b3261e' } : { confirmColor: '#b9400c' }),
    });
    return answer.confirm;
  } catch {
    return false;
  }
}
