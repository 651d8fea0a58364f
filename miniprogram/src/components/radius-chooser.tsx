import { Text, View } from '@tarojs/components';
import './volunteer-form.css';

const CHOICES = [500, 1000, 2000, 3000, 5000, 10000];

/** 500 米, 3 公里. */
export function formatRadius(metres: number): string {
  return metres < 1000 ? `${metres} 米` : `${Math.round(metres / 100) / 10} 公里`;
}

/** 服务范围: how far from home dispatch may send the volunteer, chosen from a few plain distances. */
export function RadiusChooser({ value, onChange }: { value: number; onChange: (metres: number) => void }) {
  const choices = CHOICES.includes(value) ? CHOICES : [...CHOICES, value].sort((a, b) => a - b);
  return (
    <View className="chips radius-chooser">
      {choices.map((metres) => (
        <Text
          key={metres}
          className={`chip radius-choice ${metres === value ? 'chip-on' : ''}`}
          onClick={() => onChange(metres)}
        >
          {`${formatRadius(metres)}以内`}
        </Text>
      ))}
    </View>
  );
}
