import { type Policy, type Project, placeOrderInput } from '@llb/shared';
import { Button, Input, Picker, Text, Textarea, View } from '@tarojs/components';
import { useState } from 'react';
import { maxLength } from '../services/limits';
import { EmptyState } from './empty-state';
import { Row } from './row';
import { firstWindow, type WindowChoice, WindowPicker, windowTimes } from './window-picker';

/** What staff chose for an order placed on a resident's behalf. */
export interface ProjectOrderInput {
  projectId: string;
  windowStart: string;
  windowEnd: string;
  notes: string;
  address?: string;
  contactPhone?: string;
}

/**
 * 代下单's form: one of the projects the resident may order, a window, and notes. With `contact`,
 * an address and phone that replace the resident's own (left empty, theirs are used).
 */
export function ProjectOrderForm({
  policy,
  projects,
  notesLabel,
  notesMax,
  initialNotes = '',
  contact = false,
  submitLabel,
  onSubmit,
}: {
  policy: Policy;
  projects: Project[];
  notesLabel: string;
  notesMax: number;
  initialNotes?: string;
  contact?: boolean;
  submitLabel: string;
  onSubmit: (input: ProjectOrderInput) => void;
}) {
  const [index, setIndex] = useState(0);
  const project = projects[index] ?? null;
  const [when, setWhen] = useState<WindowChoice>(() => firstWindow(policy, project));
  const [notes, setNotes] = useState(initialNotes.slice(0, notesMax));
  const [address, setAddress] = useState('');
  const [phone, setPhone] = useState('');

  const chooseProject = (next: number) => {
    setIndex(next);
    const chosen = projects[next];
    if (chosen) setWhen({ ...when, span: firstWindow(policy, chosen).span });
  };

  if (!project) {
    return (
      <EmptyState
        title="这位居民暂时没有可预约的服务"
        hint="社区的服务清单里没有这位居民能预约的项目，可以换一种处理方式。"
      />
    );
  }
  return (
    <View className="project-order-form">
      <Picker
        mode="selector"
        range={projects.map((p) => p.title)}
        value={index}
        onChange={(e) => chooseProject(Number(e.detail.value))}
      >
        <Row label="服务项目" valueClassName="proxy-project" value={`${project.title} ›`} />
      </Picker>
      <WindowPicker policy={policy} project={project} value={when} onChange={setWhen} />
      {contact && (
        <View>
          <Text className="field-label">上门地址（不填就用居民登记的地址）</Text>
          <Input
            className="field proxy-address"
            value={address}
            maxlength={maxLength(placeOrderInput.shape.address)}
            onInput={(e) => setAddress(e.detail.value)}
          />
          <Text className="field-label">联系电话（不填就用居民登记的电话）</Text>
          <Input
            className="field proxy-phone"
            type="number"
            value={phone}
            maxlength={maxLength(placeOrderInput.shape.contactPhone, 13)}
            onInput={(e) => setPhone(e.detail.value)}
          />
        </View>
      )}
      <Text className="field-label">{notesLabel}</Text>
      <Textarea
        className="field field-area proxy-notes"
        value={notes}
        maxlength={notesMax}
        onInput={(e) => setNotes(e.detail.value)}
      />
      <Button
        className="btn btn-primary actions submit-proxy-order"
        onClick={() =>
          onSubmit({
            projectId: project.id,
            ...windowTimes(when),
            notes,
            ...(address.trim() ? { address: address.trim() } : {}),
            ...(phone.trim() ? { contactPhone: phone.trim() } : {}),
          })
        }
      >
        {submitLabel}
      </Button>
    </View>
  );
}
