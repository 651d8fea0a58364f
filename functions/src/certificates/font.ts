// The certificate's typeface: Noto Sans SC (SIL OFL 1.1), static TrueType weights
// from @expo-google-fonts/noto-sans-sc. pdfkit embeds only the glyphs a document
// uses, so a certificate carries a subset of tens of KB, not the 10 MB files.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';

export type FontWeight = 'regular' | 'bold';
export type CertificateFonts = Record<FontWeight, Font>;

/** Where a weight's font file is on disk. */
export function fontPath(weight: FontWeight): string {
  // Resolved from this module's URL (a bundle's own, once bundled), so node_modules is found
  // from functions/src (tsx), functions/dist (npm start) and the Vercel function. Named
  // `require`, with literal paths: Vercel's file tracer ships a file only when it sees
  // require.resolve('…'), and then leaves out the other seven weights.
  const require = createRequire(import.meta.url);
  return weight === 'bold'
    ? require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')
    : require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
}

async function load(weight: FontWeight): Promise<Font> {
  const font = create(await readFile(fontPath(weight)));
  if (!('layout' in font)) throw new Error(`${fontPath(weight)} is a font collection`);
  return font;
}

let loading: Promise<CertificateFonts> | null = null;

/**
 * Both weights, read and parsed once per process and shared by every document: fontkit
 * decodes the large CJK tables lazily and keeps them, so later renders skip that work
 * (60 records: 400 ms a render with fresh fonts, 60 ms with these).
 */
export function certificateFonts(): Promise<CertificateFonts> {
  loading ??= Promise.all([load('regular'), load('bold')]).then(
    ([regular, bold]) => ({ regular, bold }),
    (error: unknown) => {
      loading = null; // a later call may try again
      throw error;
    },
  );
  return loading;
}
