// Traditional → simplified for the characters residents' needs actually use (a
// Hong Kong or Taiwan phone keyboard, a relative abroad typing for a parent). Not a
// converter: characters outside this list pass through unchanged, which only costs
// the n-grams they are part of.
const PAIRS =
  '電电燈灯機机樓楼醫医藥药說说們们來来幫帮壞坏時时會会這这個个裡里課课學学後后點点飯饭潔洁掃扫衛卫燒烧' +
  '氣气熱热視视話话錢钱銀银診诊療疗導导維维區区務务孫孙兒儿媽妈爺爷護护腦脑體体覺觉傷伤難难過过還还沒没' +
  '開开關关門门問问題题聽听見见讓让給给錯错對对應应該该買买賣卖東东車车費费號号紅红網网絡络碼码陽阳圍围' +
  '髒脏亂乱鄰邻鐘钟師师習习寫写業业輔辅讀读書书語语數数歲岁養养員员訴诉訟讼糾纠紛纷遺遗產产繼继離离婦妇' +
  '資资贍赡騙骗壓压癥症頭头瘡疮懷怀憂忧鬱郁慮虑緒绪獨独談谈愛爱鍋锅爐炉龍龙馬马線线調调壺壶風风鎖锁簾帘' +
  '廚厨廁厕園园樹树隻只貓猫動动靜静響响聲声樂乐廣广場场環环設设備备險险顯显紙纸廢废積积請请謝谢麼么嗎吗' +
  '煩烦幾几間间歡欢辦办證证補补貼贴齡龄郵邮遞递輪轮參参報报誰谁為为樣样廳厅滅灭層层處处實实發发現现邊边' +
  '無无與与從从兩两飲饮湯汤塊块衝冲淨净儀仪測测檢检驗验術术針针燙烫漢汉雙双災灾親亲戰战曉晓' +
  '鬧闹換换禮礼鍵键戶户臺台頻频韓韩紀纪識识認认隱隐瘋疯癡痴濕湿膚肤癢痒嚨咙筆笔畫画';

/** Each traditional character mapped to its simplified form. */
export const TRADITIONAL_TO_SIMPLIFIED: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  const chars = [...PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) {
    const [from, to] = [chars[i] as string, chars[i + 1] as string];
    map.set(from, to);
  }
  return map;
})();
