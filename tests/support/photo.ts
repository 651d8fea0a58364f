import { createCanvas } from '@napi-rs/canvas';

/** A real JPEG picture (a proof photo as a phone would send it), different for each seed. */
export function testPhoto(seed = 1, size = 64): Buffer {
  const canvas = createCanvas(size, size);
  const ctx = canvas.getContext('2d');
  for (let i = 0; i < 16; i++) {
    ctx.fillStyle = `hsl(${(seed * 37 + i * 23) % 360} 70% 50%)`;
    ctx.fillRect((i % 4) * (size / 4), Math.floor(i / 4) * (size / 4), size / 4, size / 4);
  }
  return canvas.toBuffer('image/jpeg');
}

/** A multipart form with the photo as `file`, as wx.uploadFile sends it. */
export function photoForm(bytes: Uint8Array, name = 'proof.jpg', type = 'image/jpeg'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return form;
}
