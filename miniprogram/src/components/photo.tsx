import type { UploadView } from '@llb/shared';
import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { attempt } from '../services/feedback';
import { type PhotoPurpose, photoSource, takePhotos } from '../services/photos';
import './photo.css';

/** A stored photo, read with the session; tap to see it large. */
export function Photo({ url, className = '' }: { url: string; className?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    setFailed(false);
    photoSource(url)
      .then((found) => live && setSrc(found))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [url]);
  const enlarge = () => {
    if (src) Taro.previewImage({ urls: [src], current: src }).catch(() => {});
  };
  return (
    <View className={`photo ${className}`} onClick={enlarge}>
      {src ? (
        <Image className="photo-image" src={src} mode="aspectFill" />
      ) : (
        <Text className="photo-wait">{failed ? '照片没打开' : '正在打开照片'}</Text>
      )}
    </View>
  );
}

/** Photos side by side, each tapped to see it large. */
export function PhotoRow({ urls, className = '' }: { urls: string[]; className?: string }) {
  if (urls.length === 0) return null;
  return (
    <View className={`photo-row ${className}`}>
      {urls.map((url) => (
        <Photo key={url} url={url} />
      ))}
    </View>
  );
}

/** 拍照或选照片: adds photos (uploaded at once, so the form sends only their ids) and removes them. */
export function PhotoPicker({
  photos,
  onChange,
  max,
  purpose,
  addLabel = '拍照或选照片',
}: {
  photos: UploadView[];
  onChange: (photos: UploadView[]) => void;
  max: number;
  purpose: PhotoPurpose;
  addLabel?: string;
}) {
  const room = max - photos.length;
  const add = async () => {
    const added = await attempt(() => takePhotos(purpose, room));
    if (added && added.length > 0) {
      const known = new Set(photos.map((p) => p.id));
      onChange([...photos, ...added.filter((p) => !known.has(p.id))].slice(0, max));
    }
  };
  return (
    <View className="photo-picker">
      {photos.length > 0 && (
        <View className="photo-row">
          {photos.map((photo) => (
            <View key={photo.id} className="photo-picked">
              <Photo url={photo.url} />
              <Button
                className="btn btn-plain photo-remove"
                onClick={() => onChange(photos.filter((p) => p.id !== photo.id))}
              >
                删掉
              </Button>
            </View>
          ))}
        </View>
      )}
      {room > 0 && (
        <Button className="btn btn-secondary photo-add" onClick={add}>
          {photos.length === 0 ? addLabel : `再加一张（还能加 ${room} 张）`}
        </Button>
      )}
    </View>
  );
}
