import { Button, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';

interface ReasonFormProps {
  title: string;
  /** A plain word before the box (what this is recorded as, who sees it). */
  hint?: string;
  placeholder: string;
  confirmText: string;
  /** The schema's limit for this reason (maxLength of its zod string). */
  maxLength: number;
  onSubmit: (reason: string) => void;
  onCancel: () => void;
}

/** A few words of why, asked in the page itself (editable modals are not available in every build). */
export function ReasonForm({
  title,
  hint,
  placeholder,
  confirmText,
  maxLength,
  onSubmit,
  onCancel,
}: ReasonFormProps) {
  const [reason, setReason] = useState('');
  return (
    <View className="card reason-form">
      <Text className="subtitle">{title}</Text>
      {hint && <View className="muted reason-hint">{hint}</View>}
      <Textarea
        className="field field-area reason-input"
        placeholder={placeholder}
        value={reason}
        maxlength={maxLength}
        onInput={(e) => setReason(e.detail.value)}
      />
      <View className="muted reason-count">{`${reason.length} / ${maxLength} 字`}</View>
      <Button className="btn btn-primary actions reason-submit" onClick={() => onSubmit(reason.trim())}>
        {confirmText}
      </Button>
      <Button className="btn btn-plain" onClick={onCancel}>
        算了
      </Button>
    </View>
  );
}
