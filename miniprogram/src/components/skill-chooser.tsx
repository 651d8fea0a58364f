import { SKILL_CLAIM_LABELS, type SkillOption, type VolunteerApplication } from '@llb/shared';
import { Input, Text, View } from '@tarojs/components';
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

/**
 * 专长: tap to choose; a licensed one (法律, 医疗, 家电维修) asks for a link to its proof photo, and shows
 * where its certification stands when the volunteer already has it.
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
              {`${s.name}的资质证明照片地址${claim ? `（${SKILL_CLAIM_LABELS[claim.status]}）` : ''}`}
            </Text>
            <Input
              className="field apply-proof"
              placeholder="https://…"
              value={chosen[s.code]}
              onInput={(e) => onChange({ ...chosen, [s.code]: e.detail.value })}
            />
          </View>
        );
      })}
    </View>
  );
}
