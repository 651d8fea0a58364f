import { Button, Text, View } from '@tarojs/components';
import type { ReactNode } from 'react';
import { ElderPageMeta, useElderMode } from '../services/elder-mode';
import { goBack, loginAndReturn, openHome } from '../services/navigation';
import { loadSession } from '../services/session';
import './page-frame.css';

/** Who a page is for: anyone, anyone signed in, or community staff (staff and street admins). */
export type Audience = 'anyone' | 'signed-in' | 'staff';

interface PageFrameProps {
  children?: ReactNode;
  className?: string;
  /** Default signed-in: without a session the page offers 登录 instead of its content. */
  audience?: Audience;
  /** A load error to show above the content. */
  error?: string | null;
  /** Tab pages and landing pages have no way back; every other page has ‹ 返回 and 首页 (h5: no native bar). */
  nav?: boolean;
}

function Gate({ title, hint, children }: { title: string; hint: string; children: ReactNode }) {
  return (
    <View className="card frame-gate">
      <Text className="frame-gate-title">{title}</Text>
      <Text className="frame-gate-hint">{hint}</Text>
      {children}
    </View>
  );
}

function gate(audience: Audience): ReactNode {
  if (audience === 'anyone') return null;
  const session = loadSession();
  if (!session) {
    return (
      <Gate title="请先登录" hint="登录后就能看到这一页，看完会回到这里。">
        <Button className="btn btn-primary frame-login" onClick={loginAndReturn}>
          登录
        </Button>
      </Gate>
    );
  }
  const staff = session.session.roles.some((r) => r.role === 'staff' || r.role === 'street_admin');
  if (audience === 'staff' && !staff) {
    return (
      <Gate title="这一页是给社区工作人员用的" hint="您可以回到首页找人帮忙，或看看自己的订单。">
        <Button className="btn btn-primary frame-home" onClick={openHome}>
          回首页
        </Button>
      </Gate>
    );
  }
  return null;
}

/**
 * Every page's frame: a way back and home (the h5 build has no native bar), a 登录 button when
 * the page needs a session, a plain word when the page is for staff, and the load error.
 */
export function PageFrame({
  children,
  className = '',
  audience = 'signed-in',
  error,
  nav = true,
}: PageFrameProps) {
  const blocked = gate(audience);
  const showNav = nav && process.env.TARO_ENV === 'h5';
  const elder = useElderMode();
  return (
    <>
      {/* weapp: page-meta must come first in the page; it carries 长辈模式 and WeChat's font size. */}
      <ElderPageMeta />
      <View className={`page ${elder ? 'elder' : ''} ${className}`}>
        {showNav && (
          <View className="frame-nav">
            <Button className="btn btn-plain frame-back" onClick={goBack}>
              ‹ 返回
            </Button>
            <Button className="btn btn-plain frame-home-link" onClick={openHome}>
              首页
            </Button>
          </View>
        )}
        {blocked ?? (
          <View className="frame-body">
            {error && <View className="error-text">{error}</View>}
            {children}
          </View>
        )}
      </View>
    </>
  );
}
