import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useMemo } from 'react';
import { encode } from 'uqr';
import './components.css';

/** A QR code drawn with plain views, so it renders the same in weapp and h5 without canvas. */
export function QrCode({ value, size = 400 }: { value: string; size?: number }) {
  const rows = useMemo(() => encode(value, { ecc: 'M', border: 2 }).data, [value]);
  const cell = Math.floor(size / rows.length);
  // Inline styles skip the stylesheet's px transform, so convert design px here.
  const px = (n: number) => Taro.pxTransform(n);
  return (
    <View className="qr" style={{ width: px(cell * rows.length), height: px(cell * rows.length) }}>
      {rows.map((row, y) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a module's position is its identity
        <View className="qr-row" key={y} style={{ height: px(cell) }}>
          {row.map((dark, x) => (
            <View
              // biome-ignore lint/suspicious/noArrayIndexKey: a module's position is its identity
              key={x}
              className="qr-cell"
              style={{ width: px(cell), height: px(cell), background: dark ? '#000' : '#fff' }}
            />
          ))}
        </View>
      ))}
    </View>
  );
}
