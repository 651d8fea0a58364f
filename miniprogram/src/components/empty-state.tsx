import { Button, Text, View } from '@tarojs/components';
import './empty-state.css';

export interface NextStep {
  label: string;
  onClick: () => void;
}

/** Nothing here yet: says so in a sentence and offers where to go next (one main step, one more at most). */
export function EmptyState({
  title,
  hint,
  next,
  also,
  className = '',
}: {
  title: string;
  hint?: string;
  next?: NextStep | null;
  also?: NextStep | null;
  className?: string;
}) {
  return (
    <View className={`card empty-state ${className}`}>
      <Text className="empty-title">{title}</Text>
      {hint && <Text className="empty-hint">{hint}</Text>}
      {next && (
        <Button className="btn btn-primary empty-next" onClick={next.onClick}>
          {next.label}
        </Button>
      )}
      {also && (
        <Button className="btn btn-plain empty-also" onClick={also.onClick}>
          {also.label}
        </Button>
      )}
    </View>
  );
}
