/** Vietnamese UI text that is not already part of the shared contract. */
import type { RejectReason } from '../../shared/mqtt';

export const REJECT_REASON_LABELS: Record<RejectReason, string> = {
  badTopic: 'Sai chủ đề MQTT',
  oversize: 'Vượt kích thước 16 KiB',
  badJson: 'JSON không hợp lệ',
  schema: 'Sai cấu trúc dữ liệu',
  unknownDevice: 'Thiết bị chưa đăng ký',
  futureTimestamp: 'Thời gian ở tương lai',
  staleTimestamp: 'Thời gian quá cũ',
  duplicate: 'Tin trùng lặp',
};

export const CENTER_TITLE = 'Trung tâm Giám sát, Điều hành Thông minh';
