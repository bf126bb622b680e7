/** Vietnamese UI text that is not already part of the shared contract. */
import type { BrokerRefusal, RejectReason } from '../../shared/mqtt';

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

/** Why the broker turned a device away (credentials, topics): before any message reached the ingest. */
export const BROKER_REFUSAL_LABELS: Record<BrokerRefusal, string> = {
  noCredentials: 'Kết nối không xác thực',
  badSecret: 'Sai khóa bí mật',
  unknownDevice: 'Thiết bị chưa cấp khóa',
  revoked: 'Khóa đã thu hồi',
  foreignTopic: 'Gửi vào chủ đề thiết bị khác',
  subscribeDenied: 'Đăng ký nhận tin bị chặn',
};

export const CENTER_TITLE = 'Trung tâm Giám sát, Điều hành Thông minh';
