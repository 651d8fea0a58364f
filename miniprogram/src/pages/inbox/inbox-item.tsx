import type { NotificationView } from '@llb/shared';
import { Text, View } from '@tarojs/components';
import { UnreadTag } from '../../components/tag';
import { formatTime } from '../../services/format';
import '../../components/components.css';

/** One notification: unread ones say 未读 in words and carry a bar and bold title, never colour alone. */
export function InboxItem({ item, onOpen }: { item: NotificationView; onOpen: () => void }) {
  return (
    <View
      className={`card inbox-item ${item.read ? 'inbox-read' : 'inbox-unread'}`}
      data-notification-id={item.id}
      onClick={onOpen}
    >
      <View className="inbox-head">
        <Text className="inbox-title">{item.title}</Text>
        {!item.read && <UnreadTag className="inbox-new" />}
      </View>
      <Text className="inbox-body">{item.body}</Text>
      <View className="inbox-foot">
        <Text className="inbox-time">{formatTime(item.createdAt)}</Text>
        {item.page && <Text className="inbox-go">查看 ›</Text>}
      </View>
    </View>
  );
}
