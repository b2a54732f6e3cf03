/** The notes the demo's task histories carry (admin/demo/history.ts), as units and the Office write them. */
export const PROGRESS_NOTES = [
  'Đã tổ chức họp triển khai, phân công đơn vị đầu mối.',
  'Đang tổng hợp ý kiến góp ý của các sở, ngành, địa phương.',
  'Đã ban hành văn bản hướng dẫn các đơn vị thực hiện.',
  'Đang khảo sát thực địa, thu thập số liệu.',
  'Đã hoàn thành dự thảo, đang lấy ý kiến thẩm định.',
  'Đang phối hợp với các đơn vị liên quan hoàn thiện hồ sơ.',
];
export const REPORT_NOTES = [
  'Báo cáo kết quả thực hiện nhiệm vụ kèm theo văn bản.',
  'Đã hoàn thành; gửi báo cáo kết quả và hồ sơ kèm theo.',
  'Đã trình UBND tỉnh dự thảo văn bản theo yêu cầu.',
];
export const RETURN_NOTES = [
  'Báo cáo chưa đầy đủ số liệu; đề nghị bổ sung.',
  'Kết quả chưa đáp ứng yêu cầu của văn bản chỉ đạo; đề nghị tiếp tục thực hiện.',
  'Thiếu ý kiến của các đơn vị phối hợp; đề nghị hoàn thiện.',
];
export const EXTENSION_NOTES = [
  'Đề nghị gia hạn do cần thêm thời gian lấy ý kiến các bộ, ngành Trung ương.',
  'Đề nghị gia hạn do vướng mắc về mặt bằng, chưa đủ điều kiện hoàn thành.',
  'Đề nghị gia hạn để hoàn thiện hồ sơ theo ý kiến thẩm định.',
];
export const REJECT_NOTES = ['Không đồng ý gia hạn; đề nghị khẩn trương hoàn thành theo thời hạn đã giao.'];
export const EXPLANATION_NOTES = [
  'Chậm do chờ ý kiến thẩm định của bộ, ngành Trung ương.',
  'Chậm do khối lượng công việc lớn, thiếu nhân lực chuyên môn.',
  'Chậm do vướng mắc về cơ chế, chính sách; đã báo cáo xin ý kiến.',
  'Chậm do phải tổ chức lấy ý kiến nhân dân theo quy định.',
];
export const CANCEL_NOTES = [
  'Thu hồi do nhiệm vụ không còn phù hợp với chủ trương mới.',
  'Thu hồi do đã được giao tại văn bản khác.',
  'Thu hồi theo ý kiến chỉ đạo của Chủ tịch UBND tỉnh.',
];
export const URGE_NOTES = [
  'Văn phòng UBND tỉnh đôn đốc thực hiện nhiệm vụ.',
  'Đôn đốc lần thứ hai; đề nghị báo cáo kết quả.',
  'Đôn đốc định kỳ hằng quý đối với nhiệm vụ không thời hạn.',
];
export const NO_DEADLINE_REASONS = [
  'Nhiệm vụ thường xuyên, báo cáo định kỳ.',
  'Thực hiện theo tiến độ của dự án.',
  'Chỉ đạo thường xuyên của Chủ tịch UBND tỉnh.',
];
