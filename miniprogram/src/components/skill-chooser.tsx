import { SKILL_CLAIM_LABELS, type SkillOption, UPLOAD_PATH, type VolunteerApplication } from '@llb/shared';
import { Button, Text, View } from '@tarojs/components';
import { attempt } from '../services/feedback';
import { takePhotos } from '../services/photos';
import { Photo } from './photo';
import './volunteer-form.css';

/** Chosen skills: code → the proof photo's address ('' for skills that need none). */
export type ChosenSkills = Record<string, string>;

type Claim = VolunteerApplication['skills'][number];

/** The application's skills as the form holds them. */
export function chosenFrom(claims: Claim[] | undefined): ChosenSkills {
  return Object.fromEntries((claims ?? []).map((s) => [s.code, s.proofUrl ?? '']));
}

export function skillsInput(chosen: ChosenSkills): { code: string; proofUrl: string }[] {
  return Object.entries(chosen).map(([code, proofUrl]) => ({ code, proofUrl: proofUrl.trim() }));
}

/** A licensed skill's proof: a photo taken or chosen here (its upload's address), or a link sent before photos. */
function ProofPhoto({ url, onChange }: { url: string; onChange: (url: string) => void }) {
  const take = async () => {
    const [photo] = (await attempt(() => takePhotos('skill_proof', 1))) ?? [];
    if (photo) onChange(photo.url);
  };
  return (
    <View className="proof-photo">
      {UPLOAD_PATH.test(url) && <Photo url={url} className="apply-proof-photo" />}
      {url && !UPLOAD_PATH.test(url) && <View className="muted proof-link">{`以前填的链接：${url}`}</View>}
      <Button className="btn btn-secondary apply-proof" onClick={take}>
        {url ? '换一张照片' : '拍照或选照片'}
      </Button>
    </View>
  );
}

/**
 * 专长: tap to choose; a licensed one (法律, 医疗, 家电维修) asks for a photo of its proof (证书、执照), and
 * shows where its certification stands when the volunteer already has it.
 */
export function SkillChooser({
  skills,
  chosen,
  onChange,
  claims = [],
}: {
  skills: SkillOption[];
  chosen: ChosenSkills;
  onChange: (chosen: ChosenSkills) => void;
  claims?: Claim[];
}) {
  const claimOf = new Map(claims.map((c) => [c.code, c]));
  const toggle = (code: string) => {
    const { [code]: had, ...rest } = chosen;
    onChange(had === undefined ? { ...rest, [code]: claimOf.get(code)?.proofUrl ?? '' } : rest);
  };
  const proofs = skills.filter((s) => s.licensed && chosen[s.code] !== undefined);
  return (
    <View className="skill-chooser">
      <View className="chips">
        {skills.map((s) => (
          <Text
            key={s.code}
            className={`chip apply-skill ${chosen[s.code] !== undefined ? 'chip-on' : ''}`}
            onClick={() => toggle(s.code)}
          >
            {s.licensed ? `${s.name}（需证明）` : s.name}
          </Text>
        ))}
      </View>
      {proofs.map((s) => {
        const claim = claimOf.get(s.code);
        return (
          <View key={s.code} className="skill-proof">
            <Text className="field-label">
              {`${s.name}的资质证明照片${claim ? `（${SKILL_CLAIM_LABELS[claim.status]}）` : ''}`}
            </Text>
            <ProofPhoto
              url={chosen[s.code] ?? ''}
              onChange={(url) => onChange({ ...chosen, [s.code]: url })}
            />
          </View>
        );
      })}
    </View>
  );
}
