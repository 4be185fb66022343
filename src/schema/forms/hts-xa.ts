import { defineForm } from '../form.ts';

/** HTS-XA: the commune office's IT, one row per commune (SPEC §2). */
export const htsXa = defineForm({
  code: 'HTS-XA',
  title: { vi: 'Hạ tầng công nghệ thông tin tại UBND xã', en: 'Commune office IT' },
  rows: 'one',
  fields: [
    { key: 'computers', header: 'Số máy tính', en: 'Computers', type: 'integer' },
    { key: 'computers_broadband', header: 'Số máy tính kết nối internet băng rộng', en: 'Computers on broadband', type: 'integer', atMost: 'computers' },
    { key: 'staff', header: 'Số cán bộ, công chức', en: 'Staff', type: 'integer' },
    { key: 'staff_with_computer', header: 'Số cán bộ, công chức được trang bị máy tính', en: 'Staff with a computer', type: 'integer', atMost: 'staff' },
    { key: 'specialized_network', header: 'Kết nối mạng truyền số liệu chuyên dùng', en: 'Specialized data network', type: 'yesno' },
    { key: 'video_conference', header: 'Có điểm cầu hội nghị truyền hình trực tuyến', en: 'Video-conference point', type: 'yesno' },
  ],
  measures: {
    communes: { kind: 'count' },
    computers: { kind: 'sum', field: 'computers' },
    computers_broadband: { kind: 'sum', field: 'computers_broadband' },
    staff: { kind: 'sum', field: 'staff' },
    staff_with_computer: { kind: 'sum', field: 'staff_with_computer' },
    communes_specialized_network: { kind: 'countYes', field: 'specialized_network' },
    communes_video_conference: { kind: 'countYes', field: 'video_conference' },
  },
  indicators: [
    { code: 'computers_total', name: { vi: 'Số máy tính', en: 'Computers' }, numerator: 'computers' },
    { code: 'broadband_computer_rate', name: { vi: 'Tỷ lệ máy tính kết nối băng rộng', en: 'Computers on broadband' }, numerator: 'computers_broadband', denominator: 'computers' },
    { code: 'staff_computer_rate', name: { vi: 'Tỷ lệ cán bộ được trang bị máy tính', en: 'Staff with a computer' }, numerator: 'staff_with_computer', denominator: 'staff' },
    { code: 'specialized_network_commune_rate', name: { vi: 'Tỷ lệ xã kết nối mạng chuyên dùng', en: 'Communes on the specialized network' }, numerator: 'communes_specialized_network', denominator: 'communes' },
  ],
});
