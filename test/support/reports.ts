/** Synthetic commune reports, written as a commune officer's files are: Vietnamese headers, Có/Không. */

export type Village = {
  name: string;
  households: number;
  population: number;
  fiber: boolean;
  mobile: boolean;
  g3: boolean;
  smartphone: number;
  epayment: number;
};
export type Office = {
  computers: number;
  broadband: number;
  staff: number;
  staffWithComputer: number;
  network: boolean;
  video: boolean;
};

const yes = (b: boolean) => (b ? 'Có' : 'Không');

export function banCsv(commune: string, period: string, villages: readonly Village[]): string {
  const header =
    'commune,period,Tên thôn/bản,Số hộ,Số nhân khẩu,Có internet cáp quang,Có sóng di động,Có sóng 3G trở lên,Số ' +
    'người dùng điện thoại thông minh,Số người có tài khoản thanh toán điện tử';
  const lines = villages.map((v) =>
    [
      commune,
      period,
      v.name,
      v.households,
      v.population,
      yes(v.fiber),
      yes(v.mobile),
      yes(v.g3),
      v.smartphone,
      v.epayment,
    ].join(','),
  );
  return `${[header, ...lines].join('\n')}\n`;
}

export function xaJson(commune: string, period: string, o: Office): string {
  return JSON.stringify({
    form: 'HTS-XA',
    commune,
    period,
    rows: [
      {
        'Số máy tính': o.computers,
        'Số máy tính kết nối internet băng rộng': o.broadband,
        'Số cán bộ, công chức': o.staff,
        'Số cán bộ, công chức được trang bị máy tính': o.staffWithComputer,
        'Kết nối mạng truyền số liệu chuyên dùng': yes(o.network),
        'Có điểm cầu hội nghị truyền hình trực tuyến': yes(o.video),
      },
    ],
  });
}

/** A deterministic stream of numbers in [0, 1), so generated reports are the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

export function randomVillages(random: () => number, count: number, prefix = 'Bản'): Village[] {
  return Array.from({ length: count }, (_, i) => {
    const households = 30 + Math.floor(random() * 100);
    const population = households * (3 + Math.floor(random() * 4));
    const mobile = random() < 0.9;
    return {
      name: `${prefix} ${i + 1}`,
      households,
      population,
      fiber: random() < 0.6,
      mobile,
      g3: mobile && random() < 0.9,
      smartphone: Math.floor(population * random() * 0.8),
      epayment: Math.floor(population * random() * 0.4),
    };
  });
}

export function randomOffice(random: () => number): Office {
  const computers = 5 + Math.floor(random() * 15);
  const staff = 15 + Math.floor(random() * 15);
  return {
    computers,
    broadband: computers - Math.floor(random() * 3),
    staff,
    staffWithComputer: staff - Math.floor(random() * 4),
    network: random() < 0.8,
    video: random() < 0.5,
  };
}
